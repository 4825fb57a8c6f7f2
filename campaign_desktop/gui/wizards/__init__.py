"""The step-by-step wizards (spec §4, §5): each edits a draft template and writes only on Save/Start."""

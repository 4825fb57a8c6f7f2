"""The main window: explorer tree, lists, detail panes and the actions on them."""

"""``python -m campaign_desktop.jobs.reader_main``: the import's reading process (see ``reader_process``).

A module of its own so that running it does not re-execute ``reader_process``, which the
package has already imported.
"""

from campaign_desktop.jobs.reader_process import child_main

if __name__ == "__main__":  # pragma: no cover - runs in the child process
    child_main()

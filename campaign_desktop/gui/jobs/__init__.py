"""Jobs in the GUI: the job list, the job editor (progress, Log, Rejects) and the pool that runs them."""

"""Qt item models over core data: the explorer tree and the explorer lists."""

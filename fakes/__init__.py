"""Local stand-ins for outside services we cannot reach, speaking their real protocols."""

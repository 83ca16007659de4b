"""Exchange with QDA tools (NVivo, ATLAS.ti, MAXQDA, QualCoder): REFI-QDA projects and codebooks."""

"""Recordings → speaker-separated transcripts, on this machine, with models shipped in packages.

``media`` decodes, ``models`` knows the bundled Whisper models, ``voices`` runs the
speaker encoder, ``diarise`` decides who said each word, ``checkpoint`` keeps finished
chunks, ``pipeline`` puts them together; ``accuracy`` scores a result against a script.
"""

"""Writers: turn a numbered, filled ``Document`` tree into files (DOCX, PDF).

Each writer lives in its own module and is imported only when a command needs it,
so that ``briefgen --help`` loads neither python-docx nor reportlab.
"""

"""Executes a notebook headless (nbclient, ipykernel) and writes it with its outputs.

    python execute_notebook.py IN.ipynb OUT.ipynb
"""

import sys

import nbformat
from nbclient import NotebookClient

notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, kernel_name="python3", timeout=120, allow_errors=False).execute()
nbformat.write(notebook, sys.argv[2])

"""Executes one notebook on the tslab kernel with nbclient and writes the executed copy.

Used by scripts/notebooks.ts; run on the Python that Jupyter runs on.
usage: run-notebook.py IN.ipynb OUT.ipynb TIMEOUT_SECONDS
Exit status: 0 every cell ran; 1 a cell failed (OUT holds the run up to it, and stdout says
`failed-cell N`, N counting all cells from 0); 3 the run broke (the kernel died or did not
start), with one line on stderr.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def coalesce(outputs):
    """Joins consecutive writes to the same stream into one output, as a reader sees them."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.output_type == 'stream' and previous is not None
                and previous.output_type == 'stream' and previous.name == output.name):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def main():
    source, target, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name='tslab',
        record_timing=False,
        on_cell_error=lambda cell, cell_index, execute_reply: print(f'failed-cell {cell_index}', flush=True),
        resources={'metadata': {'path': os.path.dirname(os.path.abspath(source))}},
    )
    status = 0
    try:
        client.execute()
    except CellExecutionError:
        status = 1
    except Exception as error:  # the kernel died, did not start, or timed out
        lines = str(error).strip().splitlines()
        print(f'{type(error).__name__}: {lines[0] if lines else ""}', file=sys.stderr)
        status = 3
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs = coalesce(cell.outputs)
    nbformat.write(nb, target)
    return status


if __name__ == '__main__':
    sys.exit(main())

"""Entry script of the frozen app (installer/baocao.spec): the same as `python -m baocao_desktop`."""
import multiprocessing
import sys

from baocao_desktop.__main__ import main

if __name__ == "__main__":
    # a worker process of a large import (services.exchange verifies files in other processes) starts
    # this executable again: freeze_support runs the worker and exits instead of opening the app
    multiprocessing.freeze_support()
    sys.exit(main())

"""Entry script of the frozen app (installer/baocao.spec): the same as `python -m baocao_desktop`."""
import sys

from baocao_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

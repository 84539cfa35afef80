import sys

from mtss.lib.devservices.commands import main

sys.exit(main(sys.argv[1:]))

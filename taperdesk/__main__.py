import sys

from taperdesk.app import main

sys.exit(main())

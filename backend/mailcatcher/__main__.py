"""`python -m backend.mailcatcher`: run the mail catcher until Ctrl-C or SIGTERM."""

import sys

from backend.mailcatcher.server import main

sys.exit(main())

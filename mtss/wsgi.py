import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")
application = get_wsgi_application()

# Once per web worker, before its first request: plotly's first figure costs ~0.1 s, and
# gc.freeze() moves the ~170,000 objects loaded by now (Django, pandas, plotly) out of the
# collector's reach, so a full collection during a request (~90 ms at this size) no longer
# walks them.
from dashboards.charts import warm_up  # noqa: E402  (needs the app registry set up above)

warm_up()
gc.freeze()

"""What the API's interactive docs need beyond the site's Content-Security-Policy
(config/settings.py), for their two views only: Swagger UI and ReDoc are React apps that inject
<style> elements; ReDoc also renders in a web worker started from a blob: URL. Scripts stay
'self' (the vendored sidecar files; templates/drf_spectacular/redoc.html has no inline script)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update

swagger_csp = csp_update({"style-src": [UNSAFE_INLINE]})
redoc_csp = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})

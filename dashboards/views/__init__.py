"""Dashboard pages, mounted at /dashboards/: function views that glue filters, panels,
charts and one template together.

Every page serves its tables as CSV with `?download=<table>` (the same filters, the same
suppressed strings the page prints). Teachers, interventionists and accounts without a
role get 403: the dashboards describe whole schools (docs/dashboards.md).

`page` holds what every page shares and the index; then one module per panel, like the
analysis and selectors packages. Nothing is re-exported here: nothing outside the app
imports a view (dashboards/urls.py imports each from its module), and most views share
their module's name (`tiers.tiers`), which a re-export would shadow.
"""

"""`frontwatch serve`: a read-mostly web API and a map page over the store.

app.py        the FastAPI application (routers, errors, static page)
events.py     event search with pagination (SQL on the store's tables)
control.py    control snapshots per day as GeoJSON, cached between store changes
documents.py  a document's text and the spans of every fact read in it
static/       the page (index.html, app.js, app.css) and vendored JS/data (static/vendor)
"""

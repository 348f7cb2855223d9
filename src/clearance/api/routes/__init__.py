"""One router per area. To add an area (screening ``/match``, classification search, impact runs), write a
module here whose ``router`` guards each route with :func:`clearance.api.auth.require` and calls one library
function, then list it in :data:`clearance.api.app.ROUTERS`."""

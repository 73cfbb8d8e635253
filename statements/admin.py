from django.contrib import admin

from .models import Clause, Document, Party, Topic

admin.site.register([Party, Topic, Document, Clause])
from . import admin_import  # noqa: E402,F401  (registers the importer's admin)

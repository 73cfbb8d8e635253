from django.contrib import admin

from .models import Clause, Document, Party, Topic

admin.site.register([Party, Topic, Document, Clause])

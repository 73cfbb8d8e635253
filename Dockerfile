# The web container: gunicorn serving the Statements API with production settings (bin/start).
# Build and run with docker-compose (see README "Deploying").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=0 \
    PORT=8000

WORKDIR /app

# Runtime dependencies only, exactly as pinned (psycopg[binary] ships its own libpq: no compiler needed).
COPY requirements.txt .
RUN pip install -r requirements.txt

# A user without privileges runs the app; it owns only the folder collectstatic writes to.
RUN useradd --system --create-home --uid 10001 app
COPY . .
RUN mkdir -p /app/staticfiles && chown app:app /app/staticfiles
USER app

EXPOSE 8000
CMD ["bin/start"]

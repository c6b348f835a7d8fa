# syntax=docker/dockerfile:1
# The helpdesk image: web (daphne), Celery worker and beat all run from it
# (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    STATIC_COMPRESS=true

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# The project itself (its dependencies are already in place). Code runs from /app
# (PYTHONPATH) so BASE_DIR, templates and manage.py agree.
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin helpdesk \
    && mkdir -p /app/var/static /app/var/media

# Static files are collected at build time and served by WhiteNoise. The secret and the
# database here exist only for this step.
RUN SECRET_KEY=collectstatic-build-only \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -f /tmp/collectstatic.sqlite3 \
    && chown -R helpdesk:helpdesk /app/var

USER helpdesk
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "helpdesk.asgi:application"]

# The production image: gunicorn serves the app, whitenoise the static files.
# Used by docker-compose.yml for web, worker and beat alike.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so editing the code does not reinstall them: a stub of each package
# is enough for `pip install .` to resolve and install everything pyproject.toml pins.
COPY pyproject.toml ./
RUN for p in mtss students screening decisions interventions meetings dashboards; do \
        mkdir -p "$p" && touch "$p/__init__.py"; \
    done \
    && pip install . \
    && rm -rf build *.egg-info

COPY . .
RUN pip install --no-deps . \
    && rm -rf build *.egg-info \
    # Static files are collected at build time (whitenoise serves them, hashed and compressed).
    # The key is a throwaway: collectstatic needs settings, not secrets.
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v 0 \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin mtss \
    && mkdir -p /app/var/media \
    && chown -R mtss:mtss /app/var

USER mtss
EXPOSE 8000

CMD ["gunicorn", "mtss.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]

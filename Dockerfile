# Production image: one image for web, worker, beat and the one-shot migrate.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RABFANG_VAR_DIR=/var/lib/rabfang STATIC_ROOT=/app/static
WORKDIR /app

RUN apt-get update \
    && apt-get install -y --no-install-recommends curl chromium \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml constraints.txt ./
COPY config ./config
COPY core ./core
COPY workflows ./workflows
COPY workers ./workers
COPY api ./api
COPY portal ./portal
COPY workspace ./workspace
COPY reports ./reports
COPY channels ./channels
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir -c constraints.txt . \
    && pybabel -q compile -d locale -D django \
    && SECRET_KEY=build FIELD_ENCRYPTION_KEYS=MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA= \
       python manage.py collectstatic --no-input -v 0 \
    && useradd --system --home /app rabfang && mkdir -p /var/lib/rabfang/media && chown -R rabfang /var/lib/rabfang

USER rabfang
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]

# The API (REST + explorer page) as a container; docker-compose.yml runs it over Neo4j.
#   docker build -t aifg-api .
#   docker run --rm -p 8000:8000 aifg-api        # embedded store, seeded on first start
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The pinned dependencies of pyproject.toml first, in their own layer: a code change does
# not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY schemas ./schemas
COPY graph ./graph
COPY api ./api
COPY cli ./cli
COPY aifg ./aifg
RUN pip install --no-deps . && rm -rf build ./*.egg-info

# The curated datasets, loaded into an empty store on first start (AIFG_SEED_ON_START).
COPY seeds ./seeds

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin aifg \
    && mkdir -p /var/lib/aifg \
    && chown aifg:aifg /var/lib/aifg
USER aifg

# The embedded store's SQLite file lives in AIFG_DATA_DIR (mount a volume there to keep it);
# on Neo4j (AIFG_STORE=neo4j) nothing is written here.
ENV AIFG_SEED_DIR=/app/seeds \
    AIFG_DATA_DIR=/var/lib/aifg
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

CMD ["aifg", "serve", "--host", "0.0.0.0", "--port", "8000"]

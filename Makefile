.DEFAULT_GOAL := help
.PHONY: help run test demo-pay lint schema

help: ## List the commands
	@grep -E "^[a-z-]+:.*## " $(MAKEFILE_LIST) | sed -E "s/:.*## /\t/"

run: ## Install, migrate, load demo data, start API + Celery worker + beat (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set)
	@bash devtools/run.sh

test: ## Install and run the whole test suite against real PostgreSQL and Redis
	@bash devtools/test.sh

demo-pay: ## Pay a demo order offline while `make run` is up: make demo-pay ORDER=LD-...
	@set -a && . var/dev.env && set +a && .venv/bin/python manage.py demo_pay $(ORDER)

lint: ## ruff
	@.venv/bin/ruff check .

schema: ## Write the OpenAPI schema to var/openapi.yaml
	@mkdir -p var && .venv/bin/python manage.py spectacular --file var/openapi.yaml --validate

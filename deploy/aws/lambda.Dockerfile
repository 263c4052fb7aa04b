# syntax=docker/dockerfile:1
# The Lambda image: the project's image (deploy/Dockerfile) plus the Lambda runtime interface
# client, so a function runs exactly the package the ECS services run.
#   docker build -t invsim:latest -f deploy/Dockerfile .
#   docker build -t invsim-lambda:latest --build-arg BASE=invsim:latest -f deploy/aws/lambda.Dockerfile .
# docs/deploy-aws.md ("Lambda") has the rest: pushing, creating the function, the events.
ARG BASE=invsim:latest
FROM ${BASE}
USER root
RUN /opt/venv/bin/pip install --no-cache-dir "awslambdaric>=3,<5"
# Lambda's file system is read-only except /tmp; nothing is written there in production
# (secrets come from the environment), but the settings want a VAR_DIR that exists.
ENV VAR_DIR=/tmp/invsim
USER invsim
WORKDIR /tmp
ENTRYPOINT ["/opt/venv/bin/python", "-m", "awslambdaric"]
# One image, one handler; INVSIM_LAMBDA_TASK (or the event) says which task a function runs.
CMD ["invsim.lambda_handler.handler"]

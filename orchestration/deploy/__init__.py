"""The scaled deployment profile (`make serve`, docs/deployment.md): its instance and workspace
files, the Kubernetes launcher configuration (k8s/), and the start-up check of the Postgres
connection."""

"""The application layer (build pipeline, services shared by the API and the CLI, settings) and the
CLI on top. Layers, lowest first: kg ← search ← policykg.{settings,build,services} ← api ← policykg.cli."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policykg")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]

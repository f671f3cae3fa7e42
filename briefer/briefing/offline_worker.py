"""The entry point of an offline worker process (see `offline.Worker`): kept out of the
package's imports so that `python -m` runs it without importing it twice."""

from briefer.briefing.offline import serve

if __name__ == "__main__":
    serve()

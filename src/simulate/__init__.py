"""The bundled simulated sample: a seeded, documented world written in the raw formats.

Nothing here is real: names, handles, ids and posts are generated. The sample exists so
that a fresh clone can run the whole pipeline, and so that tests can check the pipeline
finds what the simulator put there (the latent traits are written apart from the raw
data and never read by the pipeline).
"""

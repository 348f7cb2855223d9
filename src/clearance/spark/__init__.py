"""The batch jobs on Apache Spark, for inputs one machine cannot answer in time: determinations, impact runs and
restricted-party screening over DataFrames, each line answered exactly as the single-process commands answer it.

An optional extra (``pip install 'clearance[spark]'``, with Java 17): :mod:`clearance.spark.session` says so
clearly when it is missing. The law and the screening index are shipped to each executor once (a broadcast);
each partition is answered by the same library functions as ``clearance determine --batch``, ``clearance impact``
and ``clearance screen --batch``, through ``mapInArrow``. See docs/scale.md.
"""

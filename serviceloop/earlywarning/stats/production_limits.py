"""Calibrated decision limits of :mod:`.production` (do not edit by hand).

Produced by

    nice -n 10 .venv/bin/python benchmarks/earlywarning_study.py \\
        --calibrate --histories 1000 --seed 20261201

(1,000 in-control histories per condition): 60 build months x 12 MIS, looked at every month
(72 looks), under Poisson, negative binomial (phi 1.5) and seasonal volumes with phi 1.5, each
at 2,000-5,000 and at 2.5 times as many units per build month; equal tail shares for the two
detectors, the worst condition at <= 4.5 % family false alarms.
"""

H_STEP = 9.9657
H_GLR = 10.1780

# Reference fit for serviceloop/earlywarning/tests/test_reliability_reference.py (R-5.4.3).
# Usage: Rscript survreg_vehiclemotor.R [DATA_DIR] > survreg_vehiclemotor.json
# Vehicle motor data (Meeker & Escobar 1998): event 2 = failure, 0 = right-censored, and
# `count` is a case weight. The recoding is explicit on purpose: Surv(hours, event) on the
# raw 0/2 codes reads 2 as "dead" (1/2 coding) and turns every 0 into NA with a warning,
# silently dropping the 30 censored units. See README.md here for the decision.
file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
source(file.path(dirname(normalizePath(sub("^--file=", "", file_arg[1]))), "survreg_common.R"))
d <- read.csv(file.path(data_dir(), "vehiclemotor.csv"))
stopifnot(all(d$event %in% c(0, 2)))
status <- as.integer(d$event == 2)
emit("vehiclemotor", d$hours, status, d$count, "event 2 = failure, 0 = right-censored; count = case weight")

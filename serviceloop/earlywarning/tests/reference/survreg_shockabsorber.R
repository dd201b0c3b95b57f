# Reference fit for serviceloop/earlywarning/tests/test_reliability_reference.py (R-5.4.3).
# Usage: Rscript survreg_shockabsorber.R [DATA_DIR] > survreg_shockabsorber.json
# Shock absorber data (O'Connor 1985, in Meeker & Escobar 1998): column `miles` holds km;
# event "Failure" = failure (either failure mode), "Censored" = right-censored.
file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
source(file.path(dirname(normalizePath(sub("^--file=", "", file_arg[1]))), "survreg_common.R"))
d <- read.csv(file.path(data_dir(), "shockabsorber.csv"), stringsAsFactors = FALSE)
stopifnot(all(d$event %in% c("Failure", "Censored")))
status <- as.integer(d$event == "Failure")
emit("shockabsorber", d$miles, status, rep(1, nrow(d)), "event Failure = failure, Censored = right-censored")

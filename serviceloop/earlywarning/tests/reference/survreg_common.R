# Shared by survreg_shockabsorber.R and survreg_vehiclemotor.R (R-5.4.3 reference fits).
# Fits the intercept-only Weibull and lognormal AFT models with survival::survreg and
# prints the estimates as JSON at full precision (format(x, digits = 17)).
#   Weibull:   shape = 1 / survreg scale, scale = exp(intercept)
#   lognormal: shape = survreg scale (sigma, sd of log time), scale = exp(intercept) (median)
# The convergence tolerance is tightened from the default 1e-9 to 1e-13; on these data
# the default control gives bit-identical numbers (Newton-Raphson has converged already).
suppressPackageStartupMessages(library(survival))

num <- function(x) format(x, digits = 17)

fit_json <- function(time, status, weights, dist) {
  ctrl <- survreg.control(rel.tolerance = 1e-13, maxiter = 200)
  fit <- survreg(Surv(time, status) ~ 1, weights = weights, dist = dist, control = ctrl)
  v <- fit$var  # covariance of (Intercept, Log(scale)): inverse observed information
  shape <- if (dist == "weibull") 1 / fit$scale else fit$scale
  paste0(
    "{",
    "\"shape\": ", num(shape), ", ",
    "\"scale\": ", num(exp(unname(coef(fit)[1]))), ", ",
    "\"loglik\": ", num(fit$loglik[1]), ", ",
    "\"intercept\": ", num(unname(coef(fit)[1])), ", ",
    "\"survreg_scale\": ", num(fit$scale), ", ",
    "\"var_intercept\": ", num(v[1, 1]), ", ",
    "\"cov_intercept_logscale\": ", num(v[1, 2]), ", ",
    "\"var_logscale\": ", num(v[2, 2]), ", ",
    "\"iterations\": ", fit$iter[1],
    "}"
  )
}

emit <- function(dataset, time, status, weights, coding) {
  fits <- vapply(c("weibull", "lognormal"), function(dist) {
    paste0("  \"", dist, "\": ", fit_json(time, status, weights, dist))
  }, character(1))
  cat(
    "{\n",
    "  \"dataset\": \"", dataset, "\",\n",
    "  \"event_coding\": \"", coding, "\",\n",
    "  \"n\": ", num(sum(weights)), ",\n",
    "  \"failures\": ", num(sum(weights * status)), ",\n",
    "  \"r_version\": \"", R.version.string, "\",\n",
    "  \"survival_version\": \"", as.character(packageVersion("survival")), "\",\n",
    "  \"control\": \"survreg.control(rel.tolerance = 1e-13, maxiter = 200)\",\n",
    paste(fits, collapse = ",\n"), "\n}\n",
    sep = ""
  )
}

script_dir <- function() {
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  dirname(normalizePath(sub("^--file=", "", file_arg[1])))
}

data_dir <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) >= 1) args[1] else script_dir()
}

#!/usr/bin/env Rscript
# Reference values for the pooling functions of `analysis`, computed with R's metafor.
#
# Usage:  Rscript tests/reference/metafor_pool.R [output.json]
# Default output: tests/reference/metafor_pool.json (next to this script).
#
# Every case stores its inputs (yi, vi) next to metafor's results, so the Python tests do not
# need R's random number generator. Numbers are written with 17 significant digits (round-trip
# double precision). The R and metafor versions are recorded in the file.
#
# Models: rma() with method "FE", "DL", "REML", "PM" and test "z", "knha", "adhoc"; confint()
# (Q-profile), predict(), leave1out() and baujat().
# Produced with: R 4.2.2, metafor 3.8-1, jsonlite 1.8.4 (Debian 12 packages r-base-core,
# r-cran-metafor, r-cran-jsonlite).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(script_dir, "write_reference.R"))
out_path <- reference_path(script_dir, "metafor_pool.json")

# Tight tolerances, so that the iterative estimators (REML, PM) and the Q-profile limits are
# computed to near machine precision and can be compared at 1e-9 or better. REML's threshold
# is relative to the size of tau2 (an absolute 1e-13 is below the floating-point noise of a
# tau2 in the hundreds).
tight <- function(yi, vi) {
  list(threshold = 1e-12 * max(1, rma(yi, vi, method = "DL")$tau2), tol = 1e-14, maxiter = 10000)
}

# Fit one model and keep what `analysis.pool` returns. `test` is metafor's: "z", "knha"
# (Hartung-Knapp-Sidik-Jonkman, untruncated) or "adhoc" (its scale factor truncated at 1).
fit <- function(yi, vi, method, test = "z") {
  res <- rma(yi = yi, vi = vi, method = method, test = test, control = tight(yi, vi))
  pred <- predict(res)
  out <- list(
    estimate = as.numeric(res$b), se = res$se, ci_low = res$ci.lb, ci_high = res$ci.ub,
    statistic = res$zval, p_value = res$pval, tau2 = res$tau2, q = res$QE,
    df = res$k - res$p, p_q = res$QEp, i2 = res$I2, h2 = res$H2,
    pi_low = if (is.null(pred$pi.lb)) pred$ci.lb else pred$pi.lb,
    pi_high = if (is.null(pred$pi.ub)) pred$ci.ub else pred$pi.ub,
    weights = as.numeric(weights(res))
  )
  # The prediction interval of Higgins, Thompson & Spiegelhalter (2009) with t on k - 2 df
  # (metafor 3.8's predict has no option for it): its formula, from the fit's se and tau2.
  if (res$k >= 3) {
    crit <- qt(0.5 + 0.95 / 2, res$k - 2)
    spread <- sqrt(res$se^2 + res$tau2)
    out$pi_t_low <- as.numeric(res$b) - crit * spread
    out$pi_t_high <- as.numeric(res$b) + crit * spread
  }
  # REML: the standard error of tau2, sqrt(2 / tr(PP)) from the expected information.
  if (method == "REML") out$se_tau2 <- res$se.tau2
  if (method != "FE") {
    qp <- confint(res, type = "QP", control = list(tol = 1e-14, tau2.max = 1e6))$random
    out$tau2_ci <- as.numeric(qp["tau^2", c("ci.lb", "ci.ub")])
    out$i2_ci <- as.numeric(qp["I^2(%)", c("ci.lb", "ci.ub")])
    out$h2_ci <- as.numeric(qp["H^2", c("ci.lb", "ci.ub")])
  }
  out
}

# Leave-one-out (metafor's leave1out) and Baujat's coordinates (metafor's baujat, which uses
# the model it is given) for one model.
influence <- function(yi, vi, method) {
  res <- rma(yi = yi, vi = vi, method = method, control = tight(yi, vi))
  l1o <- leave1out(res)
  pdf(NULL)
  bj <- baujat(res)
  invisible(dev.off())
  list(
    estimate = l1o$estimate, se = l1o$se, ci_low = l1o$ci.lb, ci_high = l1o$ci.ub,
    q = l1o$Q, p_q = l1o$Qp, tau2 = l1o$tau2, i2 = l1o$I2, h2 = l1o$H2,
    baujat_x = bj$x, baujat_y = bj$y
  )
}

MODELS <- list(
  FE = c("FE", "z"), DL = c("DL", "z"), REML = c("REML", "z"), PM = c("PM", "z"),
  `DL-hksj` = c("DL", "knha"), `REML-hksj` = c("REML", "knha"), `PM-hksj` = c("PM", "knha"),
  `REML-hksj-adhoc` = c("REML", "adhoc"), `DL-hksj-adhoc` = c("DL", "adhoc")
)

# The restricted log-likelihood at fixed values of tau2: logLik(rma(..., tau2 = t, method =
# "REML")). metafor's includes the constants -(k - 1)/2 log(2 pi) and 1/2 log(k), so only
# differences between two values of tau2 compare with `restricted_loglik`.
REML_TAU2 <- c(0, 0.01, 0.1, 1, 10)
reml_loglik <- function(yi, vi) {
  list(tau2 = REML_TAU2, loglik = sapply(REML_TAU2, function(t) {
    as.numeric(logLik(rma(yi = yi, vi = vi, tau2 = t, method = "REML")))
  }))
}

case <- function(name, source, yi, vi, ni = NULL) {
  fits <- lapply(MODELS, function(m) fit(yi, vi, m[1], m[2]))
  out <- list(
    name = name, source = source, yi = as.numeric(yi), vi = as.numeric(vi),
    ni = if (is.null(ni)) NULL else as.numeric(ni), fits = fits,
    reml_loglik = reml_loglik(yi, vi)
  )
  if (length(yi) >= 3) {
    out$influence <- list(DL = influence(yi, vi, "DL"), REML = influence(yi, vi, "REML"),
                          FE = influence(yi, vi, "FE"))
  }
  out
}

# Raw proportions as escalc(measure = "PR") computes them: yi = xi/ni, vi = yi(1 - yi)/ni.
proportion_case <- function(name, source, p, ni) {
  es <- escalc(measure = "PR", xi = p * ni, ni = ni)
  case(name, source, es$yi, es$vi, ni)
}

cases <- list()

# The book's data: Fig. 4a and 4b inputs, proportions rounded to two decimals as the figure
# prints them, n as printed in Table 1 (Schwartzman 2009: 19 analysed).
cases[[length(cases) + 1]] <- proportion_case(
  "fig4a_rounded", "Fig. 4a inputs: Correll, Webster, Kiefer 2008a, Schwartzman, Goldberg, Patil, Goebel, Dahan",
  p = c(0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67),
  ni = c(33, 13, 20, 19, 16, 18, 5, 30)
)
cases[[length(cases) + 1]] <- proportion_case(
  "fig4b_rounded", "Fig. 4b inputs: Correll, Webster, Kiefer 2008a, Goldberg, Patil, Goebel, Kiefer 2002",
  p = c(0.54, 0.54, 0.89, 0.60, 0.38, 0.33, 0.67),
  ni = c(33, 13, 20, 16, 18, 5, 6)
)
cases[[length(cases) + 1]] <- proportion_case(
  "fig4a_table1_percent", "Fig. 4a studies with Table 1's percentages unrounded",
  p = c(0.76, 0.62, 0.935, 0.263, 0.625, 0.77, 0.833, 0.67),
  ni = c(33, 13, 20, 19, 16, 18, 5, 30)
)

# Other data: metafor's own example data sets.
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
cases[[length(cases) + 1]] <- case("bcg_logrr", "metafor dat.bcg, log risk ratios", bcg$yi, bcg$vi)
norm <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
               n2i = n2i, data = dat.normand1999)
cases[[length(cases) + 1]] <- case("normand_md", "metafor dat.normand1999, mean differences",
                                   norm$yi, norm$vi)

# Simulated data, fixed seed: small and large k, heterogeneous and homogeneous (tau2 truncated
# at zero), two studies, identical studies, widely different variances.
set.seed(20181)
sim <- function(k, tau2, vmin = 0.01, vmax = 0.5) {
  vi <- runif(k, vmin, vmax)
  yi <- rnorm(k, 0.3, sqrt(vi + tau2))
  list(yi = yi, vi = vi)
}
for (spec in list(
  list("sim_k2", 2, 0.1), list("sim_k3_homogeneous", 3, 0), list("sim_k5", 5, 0.2),
  list("sim_k20", 20, 0.05), list("sim_k100", 100, 0.3), list("sim_k10_homogeneous", 10, 0)
)) {
  d <- sim(spec[[2]], spec[[3]])
  cases[[length(cases) + 1]] <- case(spec[[1]], sprintf("simulated, k = %d, tau2 = %g", spec[[2]], spec[[3]]),
                                     d$yi, d$vi)
}
d <- sim(12, 0.5, vmin = 1e-4, vmax = 10)
cases[[length(cases) + 1]] <- case("sim_k12_wide_variances", "simulated, variances from 1e-4 to 10",
                                   d$yi, d$vi)
cases[[length(cases) + 1]] <- case("identical_studies", "four identical studies",
                                   rep(0.4, 4), rep(0.02, 4))
# Less variation than chance alone gives: 0 < Q < k - 1, so the common-effect I2 is truncated
# at 0 (and every tau2 estimate is 0).
cases[[length(cases) + 1]] <- case("q_below_df", "constructed: five close estimates, Q < k - 1",
                                   c(0.30, 0.32, 0.29, 0.31, 0.33), c(0.02, 0.03, 0.025, 0.04, 0.05))

out <- list(
  generated_by = "tests/reference/metafor_pool.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  cases = cases
)
write_reference(out, out_path)

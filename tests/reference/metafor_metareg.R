#!/usr/bin/env Rscript
# Reference values for the meta-regression of `analysis.metaanalysis.meta_regression`, computed
# with R's metafor.
#
# Usage:  Rscript tests/reference/metafor_metareg.R [output.json]
# Default output: tests/reference/metafor_metareg.json (next to this script).
#
# Every case stores its inputs (yi, vi and the moderators) next to the results. Numbers are
# written with 17 significant digits (round-trip double precision).
#
# What is computed, per case and per model (method FE, DL, REML; test z and knha):
#   rma(yi, vi, mods = ~ ..., method = M, test = T), with REML iterated to a change in tau2
#   below 1e-12 (control threshold; metafor's default 1e-5 would leave the reference less
#   precise than the code it checks): the coefficients (estimate, se, z or t, p, CI), QM with
#   its df and p, QE with its df and p, tau2, I2, H2 and R2; the covariance matrix of the
#   coefficients (vcov) and the fitted mean with its CI at every moderator's largest value
#   (predict with newmods).
#
# Cases:
#   bcg_ablat       dat.bcg, log risk ratios (escalc "RR"), moderator absolute latitude: the
#                   example of Viechtbauer (2010), J Stat Softw 36(3), section 3.3.
#   bcg_ablat_year  the same with publication year as a second moderator.
#   bcg_allocation  the same with allocation as indicators (random, systematic; reference
#                   alternate): a categorical moderator.
#   bcg_ablat_six   the first six trials with latitude: k = 6, few studies.
#   no_residual     four studies near a line: residual tau2 = 0 (REML on the boundary), R2 = 100.
#
# And the cumulative meta-analysis of `analysis.metaanalysis.cumulative`: cumul(rma(yi, vi,
# method = M, test = T), order = year) on dat.bcg (FE, DL, REML; z and knha), every step's
# estimate, se, statistic, p, CI, Q and its p, tau2, I2 and H2.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(script_dir, "write_reference.R"))
out_path <- reference_path(script_dir, "metafor_metareg.json")

control <- list(threshold = 1e-12, maxiter = 10000)

fit <- function(yi, vi, mods, method, test) {
  x <- as.matrix(as.data.frame(mods))
  res <- rma(yi, vi, mods = x, method = method, test = test, control = control)
  v <- vcov(res)
  # The fitted mean at every moderator's largest value (metafor's predict(newmods = ...)).
  at <- apply(x, 2, max)
  pr <- predict(res, newmods = matrix(at, nrow = 1))
  list(
    method = method, test = test,
    estimate = as.numeric(res$beta), se = res$se, statistic = res$zval, p_value = res$pval,
    ci_low = res$ci.lb, ci_high = res$ci.ub,
    qm = res$QM, qm_df = res$QMdf[1], qm_p = res$QMp,
    qe = res$QE, qe_df = res$k - res$p, qe_p = res$QEp,
    tau2 = res$tau2, i2 = res$I2, h2 = res$H2,
    r2 = if (is.null(res$R2)) NULL else res$R2,
    vcov = lapply(seq_len(nrow(v)), function(i) as.numeric(v[i, ])),
    predict_at = as.list(at), predict = list(pred = pr$pred, ci_low = pr$ci.lb, ci_high = pr$ci.ub)
  )
}

case <- function(yi, vi, mods) {
  fits <- list()
  for (method in c("FE", "DL", "REML")) {
    for (test in c("z", "knha")) {
      fits[[length(fits) + 1]] <- fit(yi, vi, mods, method, test)
    }
  }
  list(yi = yi, vi = vi, moderators = mods, fits = fits)
}

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
cases <- list(
  bcg_ablat = case(as.numeric(bcg$yi), as.numeric(bcg$vi), list(ablat = bcg$ablat)),
  bcg_ablat_year = case(as.numeric(bcg$yi), as.numeric(bcg$vi),
                        list(ablat = bcg$ablat, year = bcg$year)),
  bcg_allocation = case(as.numeric(bcg$yi), as.numeric(bcg$vi),
                        list(random = as.numeric(bcg$alloc == "random"),
                             systematic = as.numeric(bcg$alloc == "systematic"))),
  bcg_ablat_six = case(as.numeric(bcg$yi[1:6]), as.numeric(bcg$vi[1:6]),
                       list(ablat = bcg$ablat[1:6])),
  no_residual = case(c(0.1, 0.21, 0.29, 0.4), c(0.01, 0.02, 0.015, 0.03), list(x = c(1, 2, 3, 4)))
)

cumulative <- list()
for (method in c("FE", "DL", "REML")) {
  for (test in c("z", "knha")) {
    res <- cumul(rma(bcg$yi, bcg$vi, method = method, test = test, control = control),
                 order = bcg$year)
    cumulative[[length(cumulative) + 1]] <- list(
      method = method, test = test, order = res$slab,
      estimate = res$estimate, se = res$se,
      statistic = if (is.null(res$zval)) res$tval else res$zval, p_value = res$pval,
      ci_low = res$ci.lb, ci_high = res$ci.ub, q = res$Q, p_q = res$Qp,
      tau2 = res$tau2, i2 = res$I2, h2 = res$H2
    )
  }
}

out <- list(
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  cases = cases,
  cumulative = list(yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi), year = bcg$year,
                    fits = cumulative)
)
write_reference(out, out_path)

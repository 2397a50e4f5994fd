#!/usr/bin/env Rscript
# Reference values for the small-study (publication bias) tests of `analysis.bias` and the
# binomial intervals of `analysis.binomial`, computed with R's metafor and stats.
#
# Usage:  Rscript tests/reference/metafor_bias.R [output.json]
# Default output: tests/reference/metafor_bias.json (next to this script).
#
# Every case stores its inputs (yi, vi) next to the results, so the Python tests do not need
# R's random number generator. Numbers are written with 17 significant digits (round-trip
# double precision). The R and metafor versions are recorded in the file.
#
# What is computed, per case:
#   egger     regtest(rma(yi, vi, method = "FE"), model = "lm", predictor = "sei"): the weighted
#             regression of yi on sei with weights 1/vi. Its coefficient of sei, with its
#             standard error, t and p, is Egger's intercept (the regression of yi/sei on 1/sei);
#             its intercept ("limit estimate") is Egger's slope.
#   begg      ranktest(yi, vi): Kendall's tau between the standardized deviates and the
#             variances, exact p-value (cor.test(..., exact = TRUE)) unless there are ties;
#             ranktest(yi, vi, exact = FALSE): the normal approximation; and cor.test on the
#             same deviates with exact = FALSE, continuity = TRUE (what Stata's metabias prints
#             as "continuity corrected").
#   trimfill  trimfill(rma(yi, vi, method = M), estimator = E[, side = S]) for the listed
#             combinations: k0, its SE, the side, the filled studies and the model refitted to
#             the filled data.
#   nonconvergent  a funnel on which trimfill (DL, L0) does not converge: its error message
#             in every order of the studies, and the k0 of its iterations.
#
# Produced with: R 4.2.2, metafor 3.8-1, jsonlite 1.8.4 (Debian 12 packages r-base-core,
# r-cran-metafor, r-cran-jsonlite).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(script_dir, "write_reference.R"))
out_path <- reference_path(script_dir, "metafor_bias.json")

egger <- function(yi, vi, level = 0.95) {
  res <- regtest(yi, vi, model = "lm", predictor = "sei", level = 1 - level)
  coefs <- coef(summary(res$fit))
  # The confidence interval of the coefficient of sei (Egger's intercept), from lm's confint.
  ci <- confint(res$fit, level = level)[2, ]
  list(
    intercept = coefs[2, 1], se = coefs[2, 2], t = coefs[2, 3], p_value = coefs[2, 4],
    ci_low = as.numeric(ci[1]), ci_high = as.numeric(ci[2]),
    df = res$dfs, slope = coefs[1, 1], slope_se = coefs[1, 2],
    # What print(regtest) shows: the test statistic and p (the same as the intercept's t and p)
    # and the limit estimate as sei -> 0 with its CI (Egger's slope).
    regtest_zval = res$zval, regtest_pval = res$pval, limit_estimate = res$est,
    limit_ci_low = res$ci.lb, limit_ci_high = res$ci.ub
  )
}

begg <- function(yi, vi) {
  exact <- suppressWarnings(ranktest(yi, vi))
  normal <- ranktest(yi, vi, exact = FALSE)
  # The standardized deviates exactly as ranktest computes them.
  wi <- 1 / vi
  theta <- weighted.mean(yi, wi)
  vi.star <- vi - 1 / sum(wi)
  yi.star <- (yi - theta) / sqrt(vi.star)
  normal_test <- cor.test(yi.star, vi, method = "kendall", exact = FALSE)
  corrected <- cor.test(yi.star, vi, method = "kendall", exact = FALSE, continuity = TRUE)
  ties <- min(length(unique(yi.star)), length(unique(vi))) < length(yi)
  list(
    tau = as.numeric(exact$tau), p_value_exact = exact$pval, ties = ties,
    p_value_normal = normal$pval, z = as.numeric(normal_test$statistic),
    p_value_continuity = corrected$p.value, z_continuity = as.numeric(corrected$statistic)
  )
}

fit_fields <- function(res) {
  list(
    estimate = as.numeric(res$b), se = res$se, ci_low = res$ci.lb, ci_high = res$ci.ub,
    z = res$zval, p_value = res$pval, tau2 = res$tau2, q = res$QE, df = res$k - res$p,
    p_q = res$QEp, i2 = res$I2, h2 = res$H2, weights = as.numeric(weights(res))
  )
}

trimfill_case <- function(yi, vi, method, estimator, side = NULL) {
  fit <- rma(yi = yi, vi = vi, method = method)
  # verbose = TRUE prints one line "Iteration: i ..." per trimming iteration: their number.
  printed <- capture.output(res <- if (is.null(side)) {
    trimfill(fit, estimator = estimator, verbose = TRUE)
  } else {
    trimfill(fit, estimator = estimator, side = side, verbose = TRUE)
  })
  filled <- res$fill
  list(
    method = method, estimator = estimator, side_given = if (is.null(side)) NULL else side,
    k0 = res$k0, se_k0 = res$se.k0, side = res$side,
    iterations = sum(grepl("^Iteration:", printed)),
    p_k0 = if (is.na(res$p.k0)) NULL else res$p.k0,
    filled_yi = as.numeric(res$yi[filled]), filled_vi = as.numeric(res$vi[filled]),
    fit = fit_fields(res)
  )
}

# Trim-and-fill combinations run for every case; some cases add more.
default_trimfills <- list(
  list("DL", "L0", NULL), list("DL", "R0", NULL), list("FE", "L0", NULL)
)

# The regression of yi on sqrt(vi) that trimfill's default side comes from (the sign of its
# slope), with the FE and the DL model: the slope, and DL's residual heterogeneity.
side_regression <- function(yi, vi) {
  if (length(unique(vi)) == 1) return(NULL)
  fe <- rma(yi, vi, mods = ~ sqrt(vi), method = "FE")
  dl <- rma(yi, vi, mods = ~ sqrt(vi), method = "DL")
  list(fe_slope = as.numeric(coef(fe)[2]), dl_slope = as.numeric(coef(dl)[2]), dl_tau2 = dl$tau2)
}

case <- function(name, source, yi, vi, trimfills = default_trimfills) {
  list(
    name = name, source = source, yi = as.numeric(yi), vi = as.numeric(vi),
    egger = egger(yi, vi), begg = begg(yi, vi), side_regression = side_regression(yi, vi),
    trimfill = lapply(trimfills, function(t) trimfill_case(yi, vi, t[[1]], t[[2]], t[[3]]))
  )
}

# Raw proportions as escalc(measure = "PR") computes them: yi = xi/ni, vi = yi(1 - yi)/ni.
proportion_case <- function(name, source, p, ni, trimfills = default_trimfills) {
  es <- escalc(measure = "PR", xi = p * ni, ni = ni)
  case(name, source, es$yi, es$vi, trimfills)
}

both_sides <- c(default_trimfills, list(
  list("DL", "L0", "left"), list("DL", "L0", "right"),
  list("DL", "R0", "left"), list("DL", "R0", "right")
))

cases <- list()

# The book's data: Fig. 4a and 4b inputs as pooled (tests/reference/metafor_pool.R), that is
# proportions rounded to two decimals, n as printed in Table 1, the 0% study left out.
cases[[length(cases) + 1]] <- proportion_case(
  "fig4a_rounded", "Fig. 4a inputs: Correll, Webster, Kiefer 2008a, Schwartzman, Goldberg, Patil, Goebel, Dahan",
  p = c(0.76, 0.62, 0.94, 0.26, 0.63, 0.77, 0.83, 0.67),
  ni = c(33, 13, 20, 19, 16, 18, 5, 30), trimfills = both_sides
)
cases[[length(cases) + 1]] <- proportion_case(
  "fig4b_rounded", "Fig. 4b inputs: Correll, Webster, Kiefer 2008a, Goldberg, Patil, Goebel, Kiefer 2002",
  p = c(0.54, 0.54, 0.89, 0.60, 0.38, 0.33, 0.67),
  ni = c(33, 13, 20, 16, 18, 5, 6), trimfills = both_sides
)

# Other data: metafor's example data sets.
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
cases[[length(cases) + 1]] <- case("bcg_logrr", "metafor dat.bcg, log risk ratios", bcg$yi, bcg$vi,
                                   both_sides)
norm <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i,
               n2i = n2i, data = dat.normand1999)
cases[[length(cases) + 1]] <- case("normand_md", "metafor dat.normand1999, mean differences",
                                   norm$yi, norm$vi, both_sides)
# The trim-and-fill example of metafor's documentation (Duval & Tweedie's own example data is
# not in metafor): passive smoking and lung cancer, 37 log odds ratios; 7 studies filled left.
cases[[length(cases) + 1]] <- case("hackshaw_logor", "metafor dat.hackshaw1998, log odds ratios",
                                   dat.hackshaw1998$yi, dat.hackshaw1998$vi, both_sides)

# Simulated data, fixed seed. Asymmetric funnels: of a symmetric set of studies, the smaller half
# (larger variances) loses every study whose estimate lies on the disfavoured side of the true
# mean, as if those had stayed unpublished: studies missing on the left for favour = +1, on the
# right for favour = -1.
set.seed(20186)
sim_published <- function(k, mu, tau2, favour) {
  vi <- runif(2 * k, 0.005, 0.25)
  yi <- rnorm(2 * k, mu, sqrt(vi + tau2))
  missing <- vi > median(vi) & favour * (yi - mu) < 0
  list(yi = head(yi[!missing], k), vi = head(vi[!missing], k))
}
d <- sim_published(20, 0.1, 0, +1)
cases[[length(cases) + 1]] <- case("sim_missing_left", "simulated, k = 20, small studies below the mean missing",
                                   d$yi, d$vi, both_sides)
d <- sim_published(15, -0.1, 0.01, -1)
cases[[length(cases) + 1]] <- case("sim_missing_right", "simulated, k = 15, small studies above the mean missing",
                                   d$yi, d$vi, both_sides)
d <- sim_published(60, 0.1, 0, +1)
cases[[length(cases) + 1]] <- case("sim_k60_missing_left", "simulated, k = 60 (exact Kendall p beyond 50)",
                                   d$yi, d$vi)
vi <- runif(10, 0.01, 0.5)
cases[[length(cases) + 1]] <- case("sim_k10_unbiased", "simulated, k = 10, no selection",
                                   rnorm(10, 0.3, sqrt(vi)), vi)
vi <- runif(3, 0.01, 0.5)
cases[[length(cases) + 1]] <- case("sim_k3", "simulated, k = 3 (Egger with 1 degree of freedom)",
                                   rnorm(3, 0, sqrt(vi)), vi)
# Ties: two pairs of studies with the same variance (and one pair identical), so Kendall's tau
# needs the tie correction and the exact p-value is not available.
cases[[length(cases) + 1]] <- case(
  "ties", "constructed: repeated variances and a repeated study",
  yi = c(0.10, 0.35, 0.35, -0.05, 0.60, 0.22, 0.48, 0.90),
  vi = c(0.020, 0.050, 0.050, 0.020, 0.120, 0.080, 0.200, 0.300)
)

# Ties in both variables, with groups of three: three identical studies (their deviates tie
# as well as their variances), so every term of the tie-corrected variance of Kendall's score
# (Kendall 1970, eq. 4.4: the groups' sizes, the products of pairs and of triples) is used.
cases[[length(cases) + 1]] <- case(
  "ties_in_both", "constructed: three identical studies, and three more with equal variances",
  yi = c(0.30, 0.30, 0.30, 0.05, 0.62, -0.20, 0.41, 0.15, 0.95),
  vi = c(0.040, 0.040, 0.040, 0.010, 0.090, 0.090, 0.090, 0.025, 0.300)
)
# The side of the funnel depends on the model: the regression of yi on sqrt(vi) slopes down
# with weights 1/vi (FE: studies missing on the right) and up with the DerSimonian-Laird
# residual heterogeneity in the weights (DL: on the left).
cases[[length(cases) + 1]] <- case(
  "side_by_heterogeneity", "constructed: FE and DL choose opposite sides",
  yi = c(0.81, 0.54, 0.03, -0.6, 0.42, -0.36),
  vi = c(0.232, 0.041, 0.057, 0.114, 0.255, 0.15)
)

# A perfectly symmetric funnel: four pairs of studies mirrored about -0.32 with equal
# variances. Trim and fill with R0 only: the absolute deviations tie in pairs, trimfill ranks
# ties in order of appearance, and which of two tied deviations counts as larger is then
# decided by rounding in the last bit of the pooled estimate; L0 can fill studies or not
# depending on it (in R as in Python), so it is not a fair comparison. R0 fills none either way.
# The side is given: the slope that chooses it is zero up to rounding, so its sign is noise too.
symmetric_trimfills <- list(
  list("DL", "R0", "left"), list("DL", "R0", "right"), list("FE", "R0", "left"),
  list("FE", "R0", "right")
)
cases[[length(cases) + 1]] <- case(
  "symmetric", "constructed: four mirrored pairs about -0.32",
  yi = c(1.06, 0.69, -0.16, 0.66, -1.70, -1.33, -0.48, -1.30),
  vi = c(0.214, 0.134, 0.507, 0.785, 0.214, 0.134, 0.507, 0.785), trimfills = symmetric_trimfills
)

# Trim and fill that trims all studies but one (k = 3, L0 finds k0 = 2: the centre is the one
# study left) and all but two (k = 4, k0 = 2: the centre pools the two left).
cases[[length(cases) + 1]] <- case(
  "trim_to_one", "constructed: k = 3, L0 trims two of three",
  yi = c(0.1, 0.5, 0.95), vi = c(0.01, 0.04, 0.09)
)
cases[[length(cases) + 1]] <- case(
  "trim_to_two", "constructed: k = 4, L0 trims two of four",
  yi = c(0.1, 0.6, 1.2, 1.5), vi = c(0.01, 0.05, 0.1, 0.2)
)

# Trim and fill that does not converge: with DL and L0, k0 alternates 1, 0, 1, 0, ... in every
# order of these four studies (found by hypothesis; issue 11), and trimfill stops after
# maxiter = 100 iterations with an error. Stored: its message in each of the 24 orders, the k0
# of each iteration (from verbose = TRUE), and the combinations that do converge.
oscillating_yi <- c(-1.57858579, 0.00173205, -1.58776393, -1.51735425)
oscillating_vi <- c(0.004, 0.3880001, 0.0020002, 0.0010003)
trimfill_error <- function(yi, vi) {
  tryCatch({
    trimfill(rma(yi = yi, vi = vi, method = "DL"))
    NULL
  }, error = function(e) conditionMessage(e))
}
orders <- function(v) {
  if (length(v) <= 1) return(list(v))
  do.call(c, lapply(seq_along(v), function(i) lapply(orders(v[-i]), function(p) c(v[i], p))))
}
trace <- capture.output(try(trimfill(rma(yi = oscillating_yi, vi = oscillating_vi, method = "DL"),
                                     verbose = TRUE), silent = TRUE))
trace <- trace[grepl("missing = ", trace)]
nonconvergent <- list(
  yi = oscillating_yi, vi = oscillating_vi, method = "DL", estimator = "L0",
  errors = vapply(orders(1:4), function(o) trimfill_error(oscillating_yi[o], oscillating_vi[o]),
                  character(1)),
  k0_iterations = as.numeric(sub(".*missing = ([0-9]+).*", "\\1", trace)),
  iterations = length(trace),
  converging = lapply(list(list("DL", "R0"), list("FE", "L0"), list("FE", "R0")),
                      function(t) trimfill_case(oscillating_yi, oscillating_vi, t[[1]], t[[2]]))
)

# L0's variance formula (Duval & Tweedie 2000) is negative when the estimate of k0 is far below
# 0: here only the study nearest the pooled estimate lies above it. metafor takes the square
# root (NaN, with a warning); `trim_and_fill` floors the variance at 0. Kept apart from `cases`.
negative_variance <- local({
  yi <- c(-1, -0.9, 0.05)
  vi <- c(1, 1, 0.01)
  run <- suppressWarnings(trimfill_case(yi, vi, "DL", "L0", "left"))
  fit <- rma(yi = yi, vi = vi, method = "DL")
  s_rank <- 1  # the positive deviation has the smallest rank
  k <- length(yi)
  k0 <- (4 * s_rank - k * (k + 1)) / (2 * k - 1)
  var_s <- 1/24 * (k*(k+1)*(2*k+1) + 10*k0^3 + 27*k0^2 + 17*k0 - 18*k*k0^2 - 18*k*k0 + 6*k^2*k0)
  list(yi = yi, vi = vi, trimfill = run, k0_estimate = k0, variance_of_s = var_s,
       deviations = yi - as.numeric(fit$b))
})

# Binomial confidence intervals: Clopper-Pearson (binom.test) and Wilson (prop.test without
# continuity correction), for the hepatotoxicity counts of the book and edge cases.
binomial_case <- function(x, n, level) {
  exact <- binom.test(x, n, conf.level = level)$conf.int
  wilson <- suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE))$conf.int
  list(x = x, n = n, level = level, exact = as.numeric(exact), wilson = as.numeric(wilson))
}
binomial <- list()
for (xn in list(c(5, 258), c(5, 251), c(5, 38), c(4, 33), c(1, 5), c(0, 10), c(10, 10),
                c(0, 1), c(1, 1), c(50, 100), c(1, 1000), c(999, 1000), c(17, 23))) {
  for (level in c(0.95, 0.90, 0.99)) {
    binomial[[length(binomial) + 1]] <- binomial_case(xn[1], xn[2], level)
  }
}

out <- list(
  generated_by = "tests/reference/metafor_bias.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  cases = cases,
  nonconvergent = nonconvergent,
  negative_variance = negative_variance,
  binomial = binomial
)
write_reference(out, out_path)

#!/usr/bin/env Rscript
# Reference values for the models for proportions of `analysis` (analysis/proportions.py),
# computed with R's metafor and lme4.
#
# Usage:  Rscript tests/reference/metafor_proportions.R [output.json]
# Default output: tests/reference/metafor_proportions.json (next to this script).
#
# Every case stores its inputs (event counts xi of ni) next to the results, so the Python tests
# do not need R's random number generator. Numbers are written with 17 significant digits
# (round-trip double precision). The R, metafor and lme4 versions are recorded in the file.
#
# For each case:
#   escalc        escalc(measure = "PLO" | "PFT" | "PR", xi, ni) with its defaults
#                 (add = 1/2, to = "only0" for PLO and PR; no correction for PFT)
#   fits          rma(yi, vi, method = "DL" | "FE") on each scale, back-transformed with
#                 predict(..., transf = transf.ilogit) (PLO) and
#                 predict(..., transf = transf.ipft.hm, targs = list(ni = ni)) (PFT), and each
#                 study's interval back-transformed (transf.ilogit; transf.ipft with its own ni)
#   glmm          rma.glmm(measure = "PLO", xi, ni) with metafor's defaults (method = "ML",
#                 lme4::glmer with nAGQ = 7 and glmerControl()'s default optimizers)
#   glmer         lme4::glmer(cbind(xi, ni - xi) ~ 1 + (1 | study), binomial, nAGQ = 7): the
#                 same fit called directly ("default"), and with a tight optimizer ("tight":
#                 bobyqa in both stages, rhoend = 1e-12, tolPwrss = 1e-12), which locates the
#                 maximum more precisely than the default stopping rules; "laplace_tight" is
#                 the same with nAGQ = 1 (the Laplace approximation).
#   laplace_check the Laplace log-likelihood at the "laplace_tight" estimates, computed here
#                 independently of lme4 (each study's mode by uniroot, then dbinom and dnorm):
#                 lme4's own nAGQ = 1 value is off by up to about 3e-7 on some cases even with
#                 tolPwrss = 1e-12, so the quadrature is checked against this one as well.
#   saturated_loglik  sum(dbinom(xi, ni, xi / ni, log = TRUE)). lme4 1.1-31 reports, for
#                 nAGQ > 1, the log-likelihood minus this constant (for nAGQ = 1 it reports the
#                 full binomial log-likelihood); metafor 3.8-1's logLik() of an rma.glmm fit is
#                 a different quantity again (the saturated model's log-likelihood minus half
#                 the conditional deviance). Both are stored so the tests can say which is which.
#
# Produced with: R 4.2.2, metafor 3.8-1, lme4 1.1-31, jsonlite 1.8.4 (Debian 12 packages
# r-base-core, r-cran-metafor, r-cran-lme4, r-cran-jsonlite).

suppressPackageStartupMessages({
  library(metafor)
  library(lme4)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(script_dir, "write_reference.R"))
out_path <- reference_path(script_dir, "metafor_proportions.json")

LEVEL <- 0.95
NAGQ <- 7  # rma.glmm()'s default in metafor 3.8-1
crit <- qnorm(0.5 + LEVEL / 2)

# One inverse-variance fit on a transformed scale, with its back-transformation.
fit_rma <- function(es, ni, measure, method) {
  res <- rma(yi = es$yi, vi = es$vi, method = method)
  pred <- switch(measure,
    PLO = predict(res, transf = transf.ilogit),
    PFT = predict(res, transf = transf.ipft.hm, targs = list(ni = ni)),
    PR = predict(res)
  )
  list(
    estimate = as.numeric(res$b), se = res$se, ci_low = res$ci.lb, ci_high = res$ci.ub,
    tau2 = res$tau2, i2 = res$I2, q = res$QE,
    proportion = as.numeric(pred$pred), proportion_ci_low = as.numeric(pred$ci.lb),
    proportion_ci_high = as.numeric(pred$ci.ub)
  )
}

# Each study's estimate and Wald interval on the transformed scale, back-transformed.
study_intervals <- function(es, ni, measure) {
  low <- es$yi - crit * sqrt(es$vi)
  high <- es$yi + crit * sqrt(es$vi)
  back <- switch(measure,
    PLO = function(y) transf.ilogit(y),
    PFT = function(y) transf.ipft(y, ni),
    PR = function(y) y
  )
  list(estimate = back(es$yi), ci_low = back(low), ci_high = back(high))
}

scale_results <- function(xi, ni, measure) {
  es <- escalc(measure = measure, xi = xi, ni = ni)
  list(
    yi = as.numeric(es$yi), vi = as.numeric(es$vi),
    studies = study_intervals(es, ni, measure),
    fits = list(DL = fit_rma(es, ni, measure, "DL"), FE = fit_rma(es, ni, measure, "FE"))
  )
}

glmer_fit <- function(xi, ni, nagq, control) {
  study <- factor(seq_along(xi))
  fit <- glmer(cbind(xi, ni - xi) ~ 1 + (1 | study), family = binomial, nAGQ = nagq,
               control = control)
  list(
    mu = as.numeric(fixef(fit)), se = sqrt(as.numeric(vcov(fit))),
    tau2 = as.numeric(VarCorr(fit)$study), lme4_loglik = as.numeric(logLik(fit)), nagq = nagq
  )
}

# Tight: the optimizer's and the inner (PIRLS) iterations' tolerances near machine precision.
# With the default tolPwrss = 1e-7 the conditional modes stop early, which moves lme4's Laplace
# (nAGQ = 1) deviance by up to 5e-4 when a study has 0% or 100% events.
# With rhoend = 1e-12 bobyqa can stop with the warning "convergence code 3 from bobyqa: a trust
# region step failed to reduce q" (on sim_k40, for example): it has reached the precision of the
# deviance. The warning is expected; the tests compare these fits with analysis.glmm and with
# an independent computation of the log-likelihood.
# The Laplace approximation of the binomial-normal log-likelihood, without lme4: for each study
# the mode of log f(u) = log dbinom(x, n, plogis(mu + tau u)) + log dnorm(u) (root of its
# derivative) and the curvature there.
laplace_loglik <- function(xi, ni, mu, tau2) {
  tau <- sqrt(tau2)
  one <- function(x, n) {
    score <- function(u) tau * (x - n * plogis(mu + tau * u)) - u
    bracket <- sort(c(tau * (x - n), tau * x)) + c(-1, 1)
    u <- if (tau == 0) 0 else uniroot(score, bracket, tol = 1e-15)$root
    p <- plogis(mu + tau * u)
    dbinom(x, n, p, log = TRUE) + dnorm(u, log = TRUE) + 0.5 * log(2 * pi) -
      0.5 * log(1 + tau2 * n * p * (1 - p))
  }
  sum(mapply(one, xi, ni))
}

TIGHT <- glmerControl(optimizer = c("bobyqa", "bobyqa"), tolPwrss = 1e-12,
                      optCtrl = list(rhoend = 1e-12, maxfun = 1e5))

glmm_results <- function(xi, ni) {
  res <- rma.glmm(measure = "PLO", xi = xi, ni = ni)
  pred <- predict(res, transf = transf.ilogit)
  laplace <- glmer_fit(xi, ni, 1, TIGHT)
  list(
    metafor = list(
      mu = as.numeric(res$b), se = res$se, tau2 = res$tau2, mu_ci_low = res$ci.lb,
      mu_ci_high = res$ci.ub, z = res$zval, p_value = res$pval,
      estimate = as.numeric(pred$pred), ci_low = as.numeric(pred$ci.lb),
      ci_high = as.numeric(pred$ci.ub), pi_low = as.numeric(pred$pi.lb),
      pi_high = as.numeric(pred$pi.ub), metafor_loglik = as.numeric(logLik(res)), nagq = NAGQ
    ),
    glmer = list(
      default = glmer_fit(xi, ni, NAGQ, glmerControl()),
      tight = glmer_fit(xi, ni, NAGQ, TIGHT),
      laplace_tight = laplace
    ),
    laplace_check = list(mu = laplace$mu, tau2 = laplace$tau2,
                         loglik = laplace_loglik(xi, ni, laplace$mu, laplace$tau2))
  )
}

# glmm = FALSE where glmer refuses the data (every study with the same proportion: "Response
# is constant"); the Python tests check those cases against the closed form instead.
case <- function(name, source, xi, ni, glmm = TRUE) {
  list(
    name = name, source = source, xi = as.numeric(xi), ni = as.numeric(ni),
    saturated_loglik = sum(dbinom(xi, ni, xi / ni, log = TRUE)),
    escalc = list(PLO = scale_results(xi, ni, "PLO"), PFT = scale_results(xi, ni, "PFT"),
                  PR = scale_results(xi, ni, "PR")),
    glmm = if (glmm) glmm_results(xi, ni) else NULL
  )
}

cases <- list()

# The book's data, as test inputs only: whole-patient counts derived from Table 1's percentages
# (percentage of n, rounded to a whole patient); Kiefer 2008b (0 of 4) included.
cases[[length(cases) + 1]] <- case(
  "relief_immediate_counts",
  paste("immediate relief, counts from Table 1: Correll, Webster, Kiefer 2008a, Kiefer 2008b,",
        "Schwartzman, Goldberg, Patil, Goebel, Dahan"),
  xi = c(25, 8, 19, 0, 5, 10, 14, 4, 20), ni = c(33, 13, 20, 4, 19, 16, 18, 5, 30)
)
cases[[length(cases) + 1]] <- case(
  "relief_followup_counts",
  paste("relief at 1-3 months, counts from Table 1: Correll, Webster, Kiefer 2008a,",
        "Kiefer 2008b, Goldberg, Patil, Goebel, Kiefer 2002"),
  xi = c(18, 7, 18, 0, 10, 7, 2, 4), ni = c(33, 13, 20, 4, 16, 18, 5, 6)
)

# Other data: metafor's example data sets of single proportions.
cases[[length(cases) + 1]] <- case(
  "pritz1997", "metadat dat.pritz1997 (14 studies, two with 100% events)",
  xi = dat.pritz1997$xi, ni = dat.pritz1997$ni
)
cases[[length(cases) + 1]] <- case(
  "debruin2009", "metadat dat.debruin2009 (13 studies)",
  xi = dat.debruin2009$xi, ni = dat.debruin2009$ni
)

# Simulated data, fixed seed: sparse events with several 0% studies, frequent events with
# several 100% studies, and a large k.
set.seed(20187)
sim <- function(k, mu, tau2, nmin, nmax) {
  ni <- sample(nmin:nmax, k, replace = TRUE)
  xi <- rbinom(k, ni, plogis(rnorm(k, mu, sqrt(tau2))))
  list(xi = xi, ni = ni)
}
d <- sim(12, -3, 0.5, 5, 40)
cases[[length(cases) + 1]] <- case("sim_sparse_zeros", "simulated, k = 12, mean logit -3, tau2 0.5",
                                   d$xi, d$ni)
d <- sim(10, 2.5, 0.8, 4, 30)
cases[[length(cases) + 1]] <- case("sim_frequent_all_events",
                                   "simulated, k = 10, mean logit 2.5, tau2 0.8", d$xi, d$ni)
d <- sim(40, 0.2, 1.5, 10, 200)
cases[[length(cases) + 1]] <- case("sim_k40", "simulated, k = 40, mean logit 0.2, tau2 1.5",
                                   d$xi, d$ni)

# Hand-made data: two studies; one study with 0 and one with all events among others;
# homogeneous data where the ML estimate of tau2 is 0 (boundary) and DL truncates at 0.
cases[[length(cases) + 1]] <- case("two_studies", "two studies", xi = c(3, 12), ni = c(20, 25))
cases[[length(cases) + 1]] <- case("zero_and_all_events", "a 0% and a 100% study among others",
                                   xi = c(0, 7, 3, 9, 5), ni = c(10, 7, 12, 15, 11))
cases[[length(cases) + 1]] <- case("homogeneous", "homogeneous, tau2 = 0 at the maximum",
                                   xi = c(10, 21, 29, 16), ni = c(50, 100, 150, 75))

# The failure of the Freeman-Tukey back-transformation (Schwarzer et al. 2019): every study has
# 5% events, but the sizes differ; the harmonic mean of n is small. glmer refuses a constant
# response, so the GLMM is checked against its closed form in the tests.
cases[[length(cases) + 1]] <- case(
  "ft_backtransform_failure", "every study 5% events; one large study and five of 20",
  xi = c(500, 1, 1, 1, 1, 1), ni = c(10000, 20, 20, 20, 20, 20), glmm = FALSE
)

out <- list(
  generated_by = "tests/reference/metafor_proportions.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  lme4_version = as.character(packageVersion("lme4")),
  level = LEVEL,
  cases = cases
)
write_reference(out, out_path)

#!/usr/bin/env Rscript
# Reference values for the effect sizes of means in `analysis.mean_effects`.
#
# Usage:  Rscript tests/reference/metafor_effect_sizes.R [output.json]
# Default output: tests/reference/metafor_effect_sizes.json (next to this script).
#
# metafor's escalc() for "SMD" (Hedges' g, exact correction, vtype "LS"), "MD", "MC", "SMCC"
# and "SMCR"; and Stata metan's Cohen's d, Hedges' g and Glass's delta written out from their
# formulas (Deeks, Altman & Bradburn 2001; Harris et al. 2008), since metan is not in R.
# Produced with: R 4.2.2, metafor 3.8-1, jsonlite 1.8.4 (Debian 12 packages).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script_dir <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(script_dir, "write_reference.R"))
out_path <- reference_path(script_dir, "metafor_effect_sizes.json")

metan <- function(m1, sd1, n1, m2, sd2, n2) {
  N <- n1 + n2
  s <- sqrt(((n1 - 1) * sd1^2 + (n2 - 1) * sd2^2) / (N - 2))
  d <- (m1 - m2) / s
  g <- d * (1 - 3 / (4 * N - 9))
  glass <- (m1 - m2) / sd2
  list(
    cohen = list(yi = d, vi = N / (n1 * n2) + d^2 / (2 * (N - 2))),
    hedges = list(yi = g, vi = N / (n1 * n2) + g^2 / (2 * (N - 3.94))),
    glass = list(yi = glass, vi = N / (n1 * n2) + glass^2 / (2 * (n2 - 1)))
  )
}

es <- function(x) list(yi = as.numeric(x$yi), vi = as.numeric(x$vi))

two_group_case <- function(name, source, m1, sd1, n1, m2, sd2, n2) {
  list(
    name = name, source = source,
    m1 = m1, sd1 = sd1, n1 = n1, m2 = m2, sd2 = sd2, n2 = n2,
    SMD = es(escalc("SMD", m1i = m1, sd1i = sd1, n1i = n1, m2i = m2, sd2i = sd2, n2i = n2)),
    MD = es(escalc("MD", m1i = m1, sd1i = sd1, n1i = n1, m2i = m2, sd2i = sd2, n2i = n2)),
    metan = metan(m1, sd1, n1, m2, sd2, n2)
  )
}

paired_case <- function(name, source, m1, sd1, m2, sd2, n, rs) {
  by_r <- lapply(rs, function(r) {
    ri <- rep(r, length(n))
    list(
      r = r,
      MC = es(escalc("MC", m1i = m1, sd1i = sd1, m2i = m2, sd2i = sd2, ni = n, ri = ri)),
      SMCC = es(escalc("SMCC", m1i = m1, sd1i = sd1, m2i = m2, sd2i = sd2, ni = n, ri = ri)),
      SMCR = es(escalc("SMCR", m1i = m1, sd1i = sd1, m2i = m2, ni = n, ri = ri))
    )
  })
  list(name = name, source = source, m1 = m1, sd1 = sd1, m2 = m2, sd2 = sd2, n = n,
       by_r = by_r)
}

# The book's data: the 13 studies of Table 1 with baseline and end-of-treatment pain
# (Webster 2006, Kiefer 2008a, Kiefer 2008b, Schwartzman 2009, Goldberg 2010, Patil 2012,
# Goebel 2015, Koffler 2007, Schilder 2013, Sheehy 2015, Sigtermans 2009, Sigtermans 2010,
# Dahan 2011), baseline first, as the paper treated them: two groups of n patients each.
pain <- list(
  m1 = c(7.7, 8.97, 85.1, 7.7, 8.5, 8.2, 8.2, 54.44, 6.9, 5.63, 7.2, 6.2, 7.29),
  sd1 = c(1.8, 0.3, 1.9, 1.5, 1.6, 1.7, 1.2, 9.77, 1.3, 2.3, 1.2, 0.2, 0.16),
  m2 = c(4.8, 0.5, 89, 6.01, 5.4, 0.8, 4.5, 29.0, 2, 4.53, 2.68, 0.4, 4.38),
  sd2 = c(2.3, 0.8, 0.1, 0.6, 0.8, 0.6, 3.7, 20.26, 0.8, 2.46, 0.51, 0.3, 0.29),
  n = c(13, 20, 4, 19, 16, 18, 5, 9, 15, 23, 30, 10, 30)
)

cases <- list(
  two_group = list(
    two_group_case("table1_pain", "Table 1 pain scores, baseline vs end, as two groups",
                   pain$m1, pain$sd1, pain$n, pain$m2, pain$sd2, pain$n),
    with(dat.normand1999, two_group_case(
      "normand1999", "metafor dat.normand1999", m1i, sd1i, n1i, m2i, sd2i, n2i))
  ),
  paired = list(
    paired_case("table1_pain", "Table 1 pain scores, baseline vs end, paired",
                pain$m1, pain$sd1, pain$m2, pain$sd2, pain$n, c(0.2, 0.5, 0.8)),
    paired_case("synthetic", "synthetic pre-post data, some effects negative",
                m1 = c(30.6, 23.5, 0.5, 53.4, 35.6), sd1 = c(15, 3.1, 0.1, 14.5, 4.7),
                m2 = c(38.5, 26.8, 0.7, 75.9, 36), sd2 = c(11.6, 4.1, 0.1, 4.4, 4.6),
                n = c(20, 50, 9, 10, 14), rs = c(0.2, 0.5, 0.8))
  )
)

out <- list(
  generated_by = "tests/reference/metafor_effect_sizes.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  metafor_version = as.character(packageVersion("metafor")),
  cases = cases
)
write_reference(out, out_path)

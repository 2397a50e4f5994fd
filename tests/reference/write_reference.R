# Shared by the tests/reference/metafor_*.R scripts (sourced, not run on its own): where to write
# the reference values, and how to write them so that every number round-trips to the same double.

# The output file: the script's first argument, else `default_name` beside the script.
reference_path <- function(script_dir, default_name) {
  trailing <- commandArgs(trailingOnly = TRUE)
  if (length(trailing) >= 1) trailing[1] else file.path(script_dir, default_name)
}

# jsonlite prints at most 15 significant digits; write every number with 17 instead, so that
# the stored values round-trip to the same doubles.
full_precision <- function(x) {
  if (is.list(x)) return(lapply(x, full_precision))
  if (!is.numeric(x)) return(x)
  digits <- sprintf("%.17g", x)
  # Non-finite values as Python's json module reads them.
  digits[is.infinite(x) & x > 0] <- "Infinity"
  digits[is.infinite(x) & x < 0] <- "-Infinity"
  digits[is.nan(x)] <- "NaN"
  structure(if (length(x) == 1) digits else paste0("[", paste(digits, collapse = ", "), "]"),
            class = "json")
}

write_reference <- function(out, out_path) {
  writeLines(toJSON(full_precision(out), auto_unbox = TRUE, json_verbatim = TRUE, pretty = TRUE,
                    null = "null"), out_path)
  cat("wrote", out_path, "\n")
}

"""A pytest plugin for the mutation runs: the hypothesis profile ``mutation``.

Loaded with ``-p tests.mutation.profile --hypothesis-profile=mutation`` by
`tests.mutation.mutate`: the property tests derandomized (every run of a mutant sees the same
examples) and with 30 examples instead of 150, since every surviving mutant runs all of them.
"""

from hypothesis import settings

settings.register_profile("mutation", max_examples=30, deadline=None, derandomize=True)

# trace.mk — builds trace_report, the host tool that turns a scheduling trace
# (build/trace.log) into an SVG timeline, a terminal timeline, a metrics table,
# CSV, or a Markdown comparison of several traces; included by the top-level
# Makefile. Uses BUILD and CC from the includer. Defines TRACE_REPORT (the
# binary), the phony target trace-report, and the source lists the unit tests
# link: test_trace_analysis needs TRACE_ANALYSIS_SOURCES, test_trace_output
# needs TRACE_SOURCES; the latter's UNIT_SOURCES_ entry is set here so the test
# builds as soon as this file is included (a later definition may override it).

TRACE_REPORT := $(BUILD)/tools/trace_report
TRACE_ANALYSIS_SOURCES := tools/trace_format.c tools/trace_analysis.c tools/trace_vm.c \
                          tools/trace_metrics.c
TRACE_SOURCES := $(TRACE_ANALYSIS_SOURCES) tools/trace_svg.c tools/trace_text.c
TRACE_HEADERS := $(TRACE_SOURCES:.c=.h)
UNIT_SOURCES_trace_output := $(TRACE_SOURCES)

# Keep the includer's default goal: a fragment's first rule must not become `make`.
TRACE_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

$(TRACE_REPORT): tools/trace_report.c $(TRACE_SOURCES) $(TRACE_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. -o $@ tools/trace_report.c $(TRACE_SOURCES)

trace-report: $(TRACE_REPORT)

.PHONY: trace-report

.DEFAULT_GOAL := $(TRACE_SAVED_DEFAULT_GOAL)

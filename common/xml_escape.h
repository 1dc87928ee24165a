/* xml_escape.h: writing text into XML and HTML (JUnit files, the report page).
 *
 * xml_escape_write writes s (NULL reads as "") with & < > " ' escaped, so the result is safe in
 * element content and in quoted attribute values of both XML 1.0 and HTML. Control characters
 * other than tab, newline and carriage return, which XML 1.0 forbids, become '?'. */
#ifndef SCALESIM_COMMON_XML_ESCAPE_H
#define SCALESIM_COMMON_XML_ESCAPE_H

#include <stdio.h>

void xml_escape_write(FILE *f, const char *s);

#endif

/* Stands in for the header widl would generate from dimsvc_base.idl (see there): the C types
 * are <windows.h>'s. dimsvc.h (widl's output for dimsvc.idl) includes this file. */
#ifndef REFERENCE_DIMSVC_BASE_H
#define REFERENCE_DIMSVC_BASE_H
#include <windows.h>
#endif

/*
 * Common definitions of the public API: the export macro, C++ guards and
 * the deallocator for memory the library hands to the caller.
 */
#ifndef NOTARYC_NV_COMMON_H
#define NOTARYC_NV_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(NV_BUILDING_LIBRARY)
#    define NV_API __declspec(dllexport)
#  elif defined(NV_STATIC)
#    define NV_API
#  else
#    define NV_API __declspec(dllimport)
#  endif
#  define NV_CALLBACK(name) (__cdecl *name)
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define NV_API __attribute__((visibility("default")))
#  define NV_CALLBACK(name) (*name)
#else
#  define NV_API
#  define NV_CALLBACK(name) (*name)
#endif

#ifdef __cplusplus
#  define NV_BEGIN_DECLS extern "C" {
#  define NV_END_DECLS }
#else
#  define NV_BEGIN_DECLS
#  define NV_END_DECLS
#endif

NV_BEGIN_DECLS

/*
 * Release memory that the library allocated and handed to the caller
 * (strings and buffers returned through `char **` out-parameters).
 * NULL is allowed and does nothing. Never pass memory from another source.
 */
NV_API void nv_free(void *ptr);

NV_END_DECLS

#endif /* NOTARYC_NV_COMMON_H */

/*
 * notaryc: command-line front end of libnotaryc. Uses only <notaryc.h>.
 * Exit status: 0 verified, 1 not verified, 2 usage or operational error,
 * 3 skipped by policy (docs/design notes in README.md).
 */
#include <notaryc.h>

#include <stdio.h>
#include <string.h>

enum { EXIT_VERIFIED = 0, EXIT_NOT_VERIFIED = 1, EXIT_USAGE = 2, EXIT_SKIPPED = 3 };

static void usage(FILE *out)
{
  fprintf(out,
          "usage: notaryc <command> [options]\n"
          "\n"
          "commands:\n"
          "  version    print the library and tool versions\n"
          "  help       print this text\n");
}

static int cmd_version(void)
{
  printf("notaryc %s (headers %s)\n", nv_version_string(), NV_VERSION_STRING);
  return EXIT_VERIFIED;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    usage(stdout);
    return EXIT_VERIFIED;
  }

  nv_status rc = nv_global_init(NV_INIT_DEFAULT);
  if (rc != NV_OK) {
    fprintf(stderr, "notaryc: %s\n", nv_strerror(rc));
    return EXIT_USAGE;
  }
  int status;
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    status = cmd_version();
  } else {
    fprintf(stderr, "notaryc: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    status = EXIT_USAGE;
  }
  nv_global_cleanup();
  return status;
}

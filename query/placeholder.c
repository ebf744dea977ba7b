typedef int cdx_placeholder_unused; /* replaced by the module as it lands */

def marks_import_run(job, progress):
    raise NotImplementedError

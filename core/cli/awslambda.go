package cli

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	iofs "io/fs"
	"strings"
)

// This file ports the AWS CLI's customizations of Lambda's commands:
// --zip-file (awscli/customizations/awslambda.py) and the outfile of
// `aws lambda invoke` (awscli/customizations/streamingoutputarg.py).

// zipFileError is awslambda.py's ERROR_MSG.
const zipFileError = "--zip-file must be a zip file with the fileb:// prefix.\n" +
	"Example usage:  --zip-file fileb://path/to/file.zip"

// addZipFile is ZipFileArgument.add_to_params: the value (after file://
// and fileb:// are loaded) must be the content of a zip file, and goes into
// a.member's ZipFile.
func (s *Session) addZipFile(params *pyDict, a *cliArg, raw string) error {
	var value any = raw
	v, loaded, err := s.paramFileValue(raw)
	if err != nil {
		return &paramErr{fmt.Sprintf("Error parsing parameter '--%s': %s", a.name, err)}
	}
	if loaded {
		value = v
	}
	var content []byte
	switch x := value.(type) {
	case blobValue:
		content = x
	case string:
		content = []byte(x)
	}
	if !isZip(content) {
		return &paramErr{zipFileError}
	}
	if d, ok := params.get(a.member); ok {
		if pd, ok := d.(*pyDict); ok && pd.len() > 0 {
			pd.set("ZipFile", value)
			return nil
		}
	}
	d := newDict()
	d.set("ZipFile", value)
	params.set(a.member, d)
	return nil
}

// isZip is _should_contain_zip_content: whether b opens as a zip file.
func isZip(b []byte) bool {
	_, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	return err == nil
}

// saveOutfile is StreamingOutputArgument.save_file: it takes the payload out
// of the response and writes it to path. /dev/stdout, /dev/stderr and
// /dev/null are the session's streams, so that they work where there are no
// files (the browser).
func (s *Session) saveOutfile(path, member string, out *pyDict) error {
	var data []byte
	if v, ok := out.get(member); ok {
		switch x := v.(type) {
		case string:
			b, err := base64.StdEncoding.DecodeString(x)
			if err != nil {
				return &generalErr{fmt.Sprintf("telltale: the %s of the response is not base64: %v", member, err)}
			}
			data = b
		case []byte:
			data = x
		case blobValue:
			data = x
		}
		out.del(member)
	}
	switch path {
	case "/dev/stdout":
		_, err := s.Env.Stdout.Write(data)
		return err
	case "/dev/stderr":
		_, err := s.Env.Stderr.Write(data)
		return err
	case "/dev/null":
		return nil
	}
	fs := s.Env.fs()
	if isNoFS(fs) {
		return &generalErr{fmt.Sprintf("telltale: there are no local files here, so the %s cannot be saved to %s: name /dev/stdout as the outfile to print it", member, pyStringRepr(path))}
	}
	if err := fs.WriteFileAtomic(path, data); err != nil {
		if errors.Is(err, iofs.ErrNotExist) {
			return &generalErr{fmt.Sprintf("[Errno 2] No such file or directory: %s", pyStringRepr(path))}
		}
		// Replacing a directory fails with EEXIST or EISDIR, where Python's
		// open() says:
		if errors.Is(err, iofs.ErrExist) || strings.HasSuffix(err.Error(), "is a directory") {
			return &generalErr{fmt.Sprintf("[Errno 21] Is a directory: %s", pyStringRepr(path))}
		}
		if errors.Is(err, ErrNoFS) {
			return &generalErr{fmt.Sprintf("telltale: there are no local files here, so the %s cannot be saved to %s: name /dev/stdout as the outfile to print it", member, pyStringRepr(path))}
		}
		return &generalErr{err.Error()}
	}
	return nil
}

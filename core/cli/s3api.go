package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// This file ports what the AWS CLI and botocore add to `aws s3api`: a
// streaming blob parameter (put-object --body) names a local file
// (awscli/argprocess.py unpack_scalar_cli_arg), the bucket name is checked
// before the request is built (botocore/handlers.py validate_bucket_name),
// and get-object writes the body to its outfile (streamingOutputs).

// streamingInputs are the streaming blob input members, by endpoint prefix
// and CLI operation name.
var streamingInputs = map[string]string{
	"s3.put-object": "Body",
}

// addStreamingBlob reads the file a streaming blob parameter names.
func (s *Session) addStreamingBlob(params *pyDict, a *cliArg, path string) error {
	fs := s.Env.fs()
	ok, err := fs.Exists(path)
	if err != nil || !ok {
		if isNoFS(fs) || errors.Is(err, ErrNoFS) {
			return &paramErr{fmt.Sprintf("Error parsing parameter '--%s': Blob values must be a path to a file. (telltale: there are no local files here)", a.name)}
		}
		return &paramErr{fmt.Sprintf("Error parsing parameter '--%s': Blob values must be a path to a file.", a.name)}
	}
	b, err := fs.ReadFile(path)
	if err != nil {
		return &paramErr{fmt.Sprintf("Error parsing parameter '--%s': Blob values must be a path to a file.", a.name)}
	}
	params.set(a.member, blobValue(b))
	return nil
}

var (
	validBucketRE = regexp.MustCompile(`^[a-zA-Z0-9.\-_]{1,255}$`)
	validS3ARNRE  = regexp.MustCompile(`^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$`)
)

// s3BeforeParameterBuild runs botocore's before-parameter-build handlers of
// s3 for the operation key (endpoint prefix and CLI operation name):
// validate_bucket_name (a ParamValidationError) and, for get-object, the
// flexible checksums' response validation, which asks for the checksum
// (ChecksumMode ENABLED) unless the command line set the mode.
func s3BeforeParameterBuild(key string, params *pyDict) error {
	if !strings.HasPrefix(key, "s3.") {
		return nil
	}
	if key == "s3.get-object" {
		if _, ok := params.get("ChecksumMode"); !ok {
			params.set("ChecksumMode", "ENABLED")
		}
	}
	v, ok := params.get("Bucket")
	if !ok {
		return nil
	}
	b, ok := v.(string)
	if !ok {
		return nil
	}
	return checkBucketName(b)
}

func checkBucketName(b string) error {
	if validBucketRE.MatchString(b) || validS3ARNRE.MatchString(b) {
		return nil
	}
	return &paramErr{fmt.Sprintf("Parameter validation failed:\nInvalid bucket name \"%s\": Bucket name must match the regex \"%s\" or be an ARN matching the regex \"%s\"",
		b, validBucketRE.String(), validS3ARNRE.String())}
}

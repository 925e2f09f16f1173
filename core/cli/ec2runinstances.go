package cli

import (
	"encoding/base64"
	"math/big"
	"strings"
)

// This file ports the AWS CLI's customizations of `aws ec2 run-instances`:
// awscli/customizations/ec2/addcount.py replaces --min-count and
// --max-count by --count N or --count MIN:MAX and defaults both to 1 (a
// before-parameter-build hook), and botocore's base64_encode_user_data
// encodes --user-data.

// runInstancesKey is the argument table key of run-instances.
const runInstancesKey = "ec2.run-instances"

// addCount is CountArgument.add_to_params.
func addCount(params *pyDict, value string) error {
	minstr, maxstr := value, value
	if strings.Contains(value, ":") {
		parts := strings.Split(value, ":")
		if len(parts) != 2 {
			return countErr()
		}
		minstr, maxstr = parts[0], parts[1]
	}
	lo, err1 := pyInt(minstr)
	hi, err2 := pyInt(maxstr)
	if err1 != nil || err2 != nil {
		return countErr()
	}
	params.set("MinCount", lo)
	params.set("MaxCount", hi)
	return nil
}

func countErr() error {
	return &generalErr{"count parameter should be of form min[:max] (e.g. 1 or 1:10)"}
}

// beforeParameterBuild runs the before-parameter-build hooks of the
// operations the world has: run-instances' default count and base64 user
// data.
func beforeParameterBuild(key string, params *pyDict) {
	if key != runInstancesKey {
		return
	}
	if _, ok := params.get("MaxCount"); !ok {
		params.set("MaxCount", big.NewInt(1))
	}
	if _, ok := params.get("MinCount"); !ok {
		params.set("MinCount", big.NewInt(1))
	}
	if v, ok := params.get("UserData"); ok {
		switch x := v.(type) {
		case string:
			params.set("UserData", base64.StdEncoding.EncodeToString([]byte(x)))
		case blobValue:
			params.set("UserData", base64.StdEncoding.EncodeToString([]byte(x)))
		}
	}
}

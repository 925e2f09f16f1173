package ec2

import (
	"fmt"
	"strings"
	"time"
)

// Reservation is a group of instances launched together.
type Reservation struct {
	ReservationId string
	OwnerId       string
	RequesterId   string `json:",omitempty"`
	Groups        []any
	Instances     []map[string]any
}

// render returns an instance as DescribeInstances shows it (the model orders
// the members).
func (s *Service) render(in *instance, now time.Time) map[string]any {
	v := map[string]any{
		"Architecture":                     "x86_64",
		"ClientToken":                      in.ClientToken,
		"EbsOptimized":                     false,
		"EnaSupport":                       true,
		"Hypervisor":                       "xen",
		"RootDeviceName":                   "/dev/xvda",
		"RootDeviceType":                   "ebs",
		"VirtualizationType":               "hvm",
		"InstanceId":                       in.ID,
		"ImageId":                          in.ImageID,
		"State":                            state(in.State),
		"PrivateDnsName":                   "",
		"PublicDnsName":                    "",
		"StateTransitionReason":            in.Transition,
		"AmiLaunchIndex":                   in.LaunchIndex,
		"ProductCodes":                     []any{},
		"InstanceType":                     in.InstanceType,
		"LaunchTime":                       in.LaunchTime.UTC().Format(time.RFC3339),
		"Placement":                        map[string]any{"AvailabilityZone": in.AZ, "GroupName": "", "Tenancy": "default"},
		"PlatformDetails":                  "Linux/UNIX",
		"UsageOperation":                   "RunInstances",
		"UsageOperationUpdateTime":         in.LaunchTime.UTC().Format(time.RFC3339),
		"CurrentInstanceBootMode":          "legacy-bios",
		"CpuOptions":                       map[string]any{"CoreCount": coreCount(in.InstanceType), "ThreadsPerCore": threads(in.InstanceType)},
		"CapacityReservationSpecification": map[string]any{"CapacityReservationPreference": "open"},
		"HibernationOptions":               map[string]any{"Configured": false},
		"MetadataOptions": map[string]any{"State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 2,
			"HttpEndpoint": "enabled", "HttpProtocolIpv6": "disabled", "InstanceMetadataTags": "disabled"},
		"EnclaveOptions":            map[string]any{"Enabled": false},
		"MaintenanceOptions":        map[string]any{"AutoRecovery": "default", "RebootMigration": "default"},
		"NetworkPerformanceOptions": map[string]any{"BandwidthWeighting": "default"},
		"Operator":                  map[string]any{"Managed": false},
	}
	mon := "disabled"
	if in.Detailed {
		mon = "enabled"
	}
	v["Monitoring"] = map[string]any{"State": mon}
	if in.KeyName != "" {
		v["KeyName"] = in.KeyName
	}
	if len(in.Tags) > 0 {
		tags := make([]map[string]string, len(in.Tags))
		for k, t := range in.Tags {
			tags[k] = map[string]string{"Key": t.Key, "Value": t.Value}
		}
		v["Tags"] = tags
	}
	if in.ReasonCode != "" && in.State != "running" {
		msg := in.ReasonCode
		if in.ReasonCode == "Client.UserInitiatedShutdown" {
			msg = "Client.UserInitiatedShutdown: User initiated shutdown"
		}
		v["StateReason"] = map[string]string{"Code": in.ReasonCode, "Message": msg}
	}
	if in.State == "terminated" {
		v["BlockDeviceMappings"] = []any{}
		v["NetworkInterfaces"] = []any{}
		v["SecurityGroups"] = []any{}
		return v
	}
	dns := "ip-" + strings.ReplaceAll(in.PrivateIP, ".", "-") + "." + s.internalDomain()
	v["PrivateDnsName"] = dns
	v["PrivateIpAddress"] = in.PrivateIP
	v["SubnetId"] = in.Subnet
	v["VpcId"] = in.VPC
	v["SourceDestCheck"] = true
	v["PrivateDnsNameOptions"] = map[string]any{"HostnameType": "ip-name", "EnableResourceNameDnsARecord": false, "EnableResourceNameDnsAAAARecord": false}
	sg := []map[string]string{{"GroupId": in.SecurityGroup, "GroupName": "default"}}
	v["SecurityGroups"] = sg
	attach := in.LaunchTime.UTC().Format(time.RFC3339)
	v["BlockDeviceMappings"] = []any{}
	if in.State != "pending" || now.After(in.LaunchTime) {
		v["BlockDeviceMappings"] = []any{map[string]any{"DeviceName": "/dev/xvda",
			"Ebs": map[string]any{"AttachTime": attach, "DeleteOnTermination": true, "Status": "attached", "VolumeId": in.VolumeID}}}
	}
	eni := map[string]any{
		"Attachment": map[string]any{"AttachTime": attach, "AttachmentId": "eni-attach-" + in.ENI[4:], "DeleteOnTermination": true,
			"DeviceIndex": 0, "Status": "attached", "NetworkCardIndex": 0},
		"Description": "", "Groups": sg, "Ipv6Addresses": []any{}, "MacAddress": s.mac(in), "NetworkInterfaceId": in.ENI,
		"OwnerId": s.d.Account, "PrivateDnsName": dns, "PrivateIpAddress": in.PrivateIP,
		"PrivateIpAddresses": []any{map[string]any{"Primary": true, "PrivateDnsName": dns, "PrivateIpAddress": in.PrivateIP}},
		"SourceDestCheck":    true, "Status": "in-use", "SubnetId": in.Subnet, "VpcId": in.VPC, "InterfaceType": "interface",
		"Operator": map[string]any{"Managed": false},
	}
	if in.PublicIP != "" && in.State == "running" {
		pub := "ec2-" + strings.ReplaceAll(in.PublicIP, ".", "-") + "." + s.publicDomain()
		v["PublicIpAddress"] = in.PublicIP
		v["PublicDnsName"] = pub
		assoc := map[string]any{"IpOwnerId": "amazon", "PublicDnsName": pub, "PublicIp": in.PublicIP}
		eni["Association"] = assoc
		eni["PrivateIpAddresses"].([]any)[0].(map[string]any)["Association"] = assoc
	}
	v["NetworkInterfaces"] = []any{eni}
	return v
}

func (s *Service) internalDomain() string {
	if s.d.Region == "us-east-1" {
		return "ec2.internal"
	}
	return s.d.Region + ".compute.internal"
}

func (s *Service) publicDomain() string {
	if s.d.Region == "us-east-1" {
		return "compute-1.amazonaws.com"
	}
	return s.d.Region + ".compute.amazonaws.com"
}

func (s *Service) mac(in *instance) string {
	h := mix(s.seed, hashString(in.ENI))
	return fmt.Sprintf("0e:%02x:%02x:%02x:%02x:%02x", h&0xff, (h>>8)&0xff, (h>>16)&0xff, (h>>24)&0xff, (h>>32)&0xff)
}

// vcpus returns the vCPUs of an instance type, false for an unknown type.
func vcpus(typ string) (int, bool) {
	fam, size, ok := strings.Cut(typ, ".")
	if !ok || fam == "" || strings.Trim(fam, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(fam) > 8 {
		return 0, false
	}
	switch size {
	case "nano", "micro", "small", "medium":
		if fam[0] == 't' {
			return map[string]int{"nano": 2, "micro": 2, "small": 2, "medium": 2}[size], true
		}
		return 1, true
	case "large":
		return 2, true
	case "xlarge":
		return 4, true
	case "metal":
		return 96, true
	}
	var n int
	if _, err := fmt.Sscanf(size, "%dxlarge", &n); err == nil && n > 0 && n <= 48 && fmt.Sprintf("%dxlarge", n) == size {
		return 4 * n, true
	}
	return 0, false
}

func coreCount(typ string) int {
	n, _ := vcpus(typ)
	if n > 1 {
		return n / 2
	}
	return 1
}

func threads(typ string) int {
	n, _ := vcpus(typ)
	if n > 1 {
		return 2
	}
	return 1
}

// burstable reports whether an instance type earns CPU credits (t2, t3,
// t3a, t4g).
func burstable(typ string) bool {
	return strings.HasPrefix(typ, "t2.") || strings.HasPrefix(typ, "t3.") || strings.HasPrefix(typ, "t3a.") || strings.HasPrefix(typ, "t4g.")
}
